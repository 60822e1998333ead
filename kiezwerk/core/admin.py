from django.contrib import admin

from .models import AuditEvent, District, Street


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0
    fields = ["name", "first_number", "last_number"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "residents", "area_km2"]
    search_fields = ["name", "city"]
    readonly_fields = ["boundary", "area_km2"]
    inlines = [StreetInline]

    def has_add_permission(self, request):
        return False  # boundaries are checked on import: manage.py load_district


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "verb", "actor", "target_type", "target_id"]
    list_filter = ["verb", "district"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
