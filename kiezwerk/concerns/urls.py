from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("report/", views.report_start, name="report-start"),
    path("report/thanks/", views.report_thanks, name="report-thanks"),
    path("districts/<slug:slug>/", views.district_map, name="district-map"),
    path("districts/<slug:slug>/map/data.json", views.map_data, name="map-data"),
    path("districts/<slug:slug>/report/", views.report, name="report"),
    path("districts/<slug:slug>/report/nearby/", views.report_nearby, name="report-nearby"),
    path("districts/<slug:slug>/concerns/", views.concern_list, name="concern-list"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern-detail"),
    path("concerns/<int:pk>/support/", views.concern_support, name="concern-support"),
    path("concerns/<int:pk>/subscribe/", views.concern_subscribe, name="concern-subscribe"),
    path("concerns/<int:pk>/flag/", views.concern_flag, name="concern-flag"),
    path("concerns/<int:pk>/review/", views.concern_review, name="concern-review"),
    path("track/<str:token>/", views.track, name="track"),
    path("track/<str:token>/follow/", views.track_subscribe, name="track-subscribe"),
    path("open-data/<slug:slug>/concerns.geojson", views.open_data_geojson, name="open-data-geojson"),
    path("open-data/<slug:slug>/concerns.csv", views.open_data_csv, name="open-data-csv"),
]
