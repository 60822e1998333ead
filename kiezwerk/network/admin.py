from django.contrib import admin

from .models import Contact, Organisation, Referral, ReferralEvent, Relationship


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "whole_city", "visibility", "is_active"]
    list_filter = ["kind", "visibility", "is_active", "city"]
    search_fields = ["name", "competencies"]
    filter_horizontal = ["districts", "members"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "legal_basis", "last_confirmed_on"]
    list_filter = ["legal_basis"]
    search_fields = ["name", "role", "organisation__name"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "started_on", "ended_on"]


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    fields = ["kind", "is_public", "text", "via_link", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["pk", "concern", "organisation", "status", "outcome", "due_on"]
    list_filter = ["status", "outcome", "plan"]
    readonly_fields = ["token_hash", "remind_on", "escalate_on"]
    inlines = [ReferralEventInline]
