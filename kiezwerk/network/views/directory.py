"""Network views: directory."""

urlpatterns = []
