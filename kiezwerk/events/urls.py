from django.urls import path

from .views import public

app_name = "events"

urlpatterns = [
    path("events/<slug:slug>/calendar.ics", public.district_feed, name="feed"),
    path("events/<slug:slug>/week.pdf", public.week_sheet, name="week-sheet"),
    path("events/<slug:slug>/<int:pk>/", public.event_detail, name="detail"),
    path("events/<slug:slug>/<int:pk>/event.ics", public.event_ics, name="ics"),
    path("events/<slug:slug>/<int:pk>/dates/<int:occurrence_id>/register/", public.register, name="register"),
    path("events/registrations/<str:token>/confirm/", public.registration_confirm, name="registration-confirm"),
    path("events/registrations/<str:token>/cancel/", public.registration_cancel, name="registration-cancel"),
    path("events/registrations/<str:token>/offer/", public.registration_offer, name="registration-offer"),
]
