"""The network's URLs: each views module brings its own list."""

from .views import directory, io, partner, referrals

app_name = "network"

urlpatterns = [*directory.urlpatterns, *io.urlpatterns, *referrals.urlpatterns, *partner.urlpatterns]
