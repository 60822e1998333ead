from django.urls import path

from .views import public, team, templates

app_name = "projects"

urlpatterns = [
    path("projects/<slug:slug>/", public.project_list, name="list"),
    path("projects/<slug:slug>/map.json", public.project_map, name="map"),
    path("projects/<slug:slug>/<int:pk>/", public.project_detail, name="detail"),
    path("projects/<slug:slug>/<int:pk>/follow/", public.follow, name="follow"),
    path("projects/<slug:slug>/<int:pk>/shifts/<int:shift_id>/signup/", public.signup, name="signup"),
    path("projects/<slug:slug>/<int:pk>/shifts/<int:shift_id>/shift.ics", public.shift_ics, name="shift-ics"),
    path("projects/signups/<str:token>/confirm/", public.signup_confirm, name="signup-confirm"),
    path("projects/signups/<str:token>/cancel/", public.signup_cancel, name="signup-cancel"),
    # The team's screens, in the desk.
    path("desk/<slug:slug>/projects/", team.team_list, name="team-list"),
    path("desk/<slug:slug>/projects/new/", team.project_new, name="new"),
    path("desk/<slug:slug>/projects/from-selection/", team.from_selection, name="from-selection"),
    path("desk/<slug:slug>/projects/templates/", templates.template_list, name="templates"),
    path("desk/<slug:slug>/projects/templates/new/", templates.template_edit, name="template-new"),
    path("desk/<slug:slug>/projects/templates/<int:template_id>/", templates.template_edit, name="template-edit"),
    path(
        "desk/<slug:slug>/projects/templates/<int:template_id>/delete/",
        templates.template_delete,
        name="template-delete",
    ),
    path("desk/projects/<int:pk>/", team.team_detail, name="team-detail"),
    path("desk/projects/<int:pk>/edit/", team.project_edit, name="edit"),
    path("desk/projects/<int:pk>/status/", team.project_status, name="status"),
    path("desk/projects/<int:pk>/post/", team.project_post, name="post"),
    path("desk/projects/<int:pk>/partners/", team.partner_add, name="partner-add"),
    path("desk/projects/<int:pk>/partners/<int:partner_id>/remove/", team.partner_remove, name="partner-remove"),
    path("desk/projects/<int:pk>/tasks/", team.task_add, name="task-add"),
    path("desk/projects/<int:pk>/tasks/<int:task_id>/done/", team.task_done, name="task-done"),
    path("desk/projects/<int:pk>/tasks/<int:task_id>/delete/", team.task_delete, name="task-delete"),
    path("desk/projects/<int:pk>/materials/", team.material_add, name="material-add"),
    path("desk/projects/<int:pk>/materials/<int:material_id>/", team.material_edit, name="material-edit"),
    path("desk/projects/<int:pk>/materials/<int:material_id>/delete/", team.material_delete, name="material-delete"),
    path("desk/projects/<int:pk>/shifts/", team.shift_add, name="shift-add"),
    path("desk/projects/<int:pk>/shifts/<int:shift_id>/", team.shift_edit, name="shift-edit"),
    path("desk/projects/<int:pk>/shifts/<int:shift_id>/delete/", team.shift_delete, name="shift-delete"),
    path("desk/projects/<int:pk>/shifts/<int:shift_id>/attendance/", team.shift_attendance, name="shift-attendance"),
    path("desk/projects/<int:pk>/signups/cancel/", team.signup_cancel, name="team-signup-cancel"),
    path("desk/projects/<int:pk>/volunteers/mail/", team.volunteers_message, name="volunteers-mail"),
    path("desk/projects/<int:pk>/requests/", team.request_add, name="request-add"),
    path("desk/projects/<int:pk>/concerns/", team.concerns_link, name="concerns-link"),
    path("desk/projects/<int:pk>/concerns/resolve/", team.concerns_resolve, name="concerns-resolve"),
    path("desk/projects/<int:pk>/outcome/", team.outcome, name="outcome"),
    path("desk/projects/<int:pk>/poster/", team.poster, name="poster"),
]
