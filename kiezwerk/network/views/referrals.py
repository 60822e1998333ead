"""Network views: referrals."""

urlpatterns = []
