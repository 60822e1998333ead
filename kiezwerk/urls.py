from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("", include("kiezwerk.core.urls")),
    path("", include("kiezwerk.concerns.urls")),
    path("desk/", include("kiezwerk.desk.urls")),
    path("", include("kiezwerk.network.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.MEDIA_URL.startswith("/") and settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # Photos from the local disk; a deployment may serve MEDIA_ROOT from the web server instead.
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )
