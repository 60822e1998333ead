from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from kiezwerk.accounts.models import Membership
from kiezwerk.core.models import Entry

from .models import Contact, Organisation, Referral, Relationship


class MemberInline(GenericTabularInline):
    """The organisation's partner logins: they see its referrals in the partner view."""

    model = Membership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    verbose_name = _("partner login")
    verbose_name_plural = _("partner logins")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "whole_city", "visibility", "is_active"]
    list_filter = ["kind", "visibility", "is_active", "city"]
    search_fields = ["name", "competencies"]
    filter_horizontal = ["districts"]
    inlines = [MemberInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "legal_basis", "last_confirmed_on"]
    list_filter = ["legal_basis"]
    search_fields = ["name", "role", "organisation__name"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["__str__", "started_on", "ended_on"]


class ReferralStepInline(GenericTabularInline):
    model = Entry
    ct_field, ct_fk_field = "context_type", "context_id"
    extra = 0
    fields = ["step", "is_public", "text", "via_link", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["pk", "__str__", "status", "outcome", "due_on"]
    list_filter = ["status", "outcome", "plan"]
    readonly_fields = ["token_hash", "remind_on", "escalate_on"]
    inlines = [ReferralStepInline]
