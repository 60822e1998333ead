"""Network views: io."""

urlpatterns = []
