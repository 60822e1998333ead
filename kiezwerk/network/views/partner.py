"""Network views: partner."""

urlpatterns = []
