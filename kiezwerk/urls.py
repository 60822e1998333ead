from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from kiezwerk.core import views as core_views

urlpatterns = [
    path("", include("kiezwerk.core.urls")),
    path("", include("kiezwerk.concerns.urls")),
    path("desk/", include("kiezwerk.desk.urls")),
    path("", include("kiezwerk.network.urls")),
    path("", include("kiezwerk.projects.urls")),
    path("", include("kiezwerk.events.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", core_views.language_set, name="set_language"),
    path("admin/", admin.site.urls),
]

# Photos from the local disk in development only (`make run`, DEBUG on): in production the web server
# serves MEDIA_ROOT (docs/operations.md). `static()` adds nothing with DEBUG off or an absolute MEDIA_URL.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
