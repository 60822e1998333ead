from django.urls import path

from .views import partner, public, team

app_name = "events"

urlpatterns = [
    path("events/<slug:slug>/", public.calendar, name="calendar"),
    path("events/<slug:slug>/calendar.ics", public.district_feed, name="feed"),
    path("events/<slug:slug>/map.json", public.event_map, name="map"),
    path("events/<slug:slug>/week.pdf", public.week_sheet, name="week-sheet"),
    path("events/<slug:slug>/<int:pk>/", public.event_detail, name="detail"),
    path("events/<slug:slug>/<int:pk>/event.ics", public.event_ics, name="ics"),
    path("events/<slug:slug>/<int:pk>/dates/<int:occurrence_id>/register/", public.register, name="register"),
    path("events/registrations/<str:token>/confirm/", public.registration_confirm, name="registration-confirm"),
    path("events/registrations/<str:token>/cancel/", public.registration_cancel, name="registration-cancel"),
    path("events/registrations/<str:token>/offer/", public.registration_offer, name="registration-offer"),
    # Partners: their organisations' events.
    path("partner/events/", partner.partner_list, name="partner"),
    path("partner/events/new/<slug:slug>/", partner.partner_new, name="partner-new"),
    path("partner/events/<int:pk>/", partner.partner_edit, name="partner-edit"),
    # The team's screens, in the desk.
    path("desk/<slug:slug>/events/", team.team_list, name="team-list"),
    path("desk/<slug:slug>/events/new/", team.event_new, name="new"),
    path("desk/events/<int:pk>/", team.team_detail, name="team-detail"),
    path("desk/events/<int:pk>/edit/", team.event_edit, name="edit"),
    path("desk/events/<int:pk>/review/", team.event_review, name="review"),
    path("desk/events/<int:pk>/cancel/", team.event_cancel, name="cancel"),
    path("desk/events/<int:pk>/registrations/cancel/", team.registration_cancel, name="team-registration-cancel"),
    path("desk/events/<int:pk>/dates/<int:occurrence_id>/", team.date_detail, name="date"),
    path("desk/events/<int:pk>/dates/<int:occurrence_id>/move/", team.date_move, name="date-move"),
    path("desk/events/<int:pk>/dates/<int:occurrence_id>/cancel/", team.date_cancel, name="date-cancel"),
    path("desk/events/<int:pk>/dates/<int:occurrence_id>/attendance/", team.date_attendance, name="date-attendance"),
    path("desk/events/<int:pk>/dates/<int:occurrence_id>/report/", team.date_report, name="date-report"),
]
