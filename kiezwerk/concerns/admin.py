from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from kiezwerk.core.models import Entry

from .models import Category, Concern


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "district", "sensitive", "is_active", "position"]
    list_filter = ["district", "sensitive", "is_active"]


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
