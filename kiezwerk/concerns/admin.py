from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from translated_fields.admin import TranslatedFieldAdmin

from kiezwerk.core.models import Entry
from kiezwerk.core.services import district_touch

from .models import Category, Concern


@admin.register(Category)
class CategoryAdmin(TranslatedFieldAdmin, admin.ModelAdmin):
    list_display = ["name", "parent", "district", "sensitive", "is_active", "position"]
    list_filter = ["district", "sensitive", "is_active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        district_touch(district=obj.district)  # the public pages and the map name it afresh


class EntryInline(GenericTabularInline):
    model = Entry
    ct_field, ct_fk_field = "target_type", "target_id"
    extra = 0
    fields = ["kind", "is_public", "text", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "district", "category", "status", "moderation", "created_at"]
    list_filter = ["district", "status", "moderation", "channel"]
    search_fields = ["title"]
    readonly_fields = ["reporter", "tracking_token_hash", "supporter_count"]
    inlines = [EntryInline]
