from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("concerns/<int:pk>/", views.concern, name="concern"),
    path("concerns/<int:pk>/reply/", views.concern_reply, name="concern-reply"),
    path("concerns/<int:pk>/assign/", views.concern_assign, name="concern-assign"),
    path("concerns/<int:pk>/category/", views.concern_categorise, name="concern-category"),
    path("concerns/<int:pk>/follow-up/", views.concern_follow_up, name="concern-follow-up"),
    path("concerns/<int:pk>/place/", views.concern_place, name="concern-place"),
    path("concerns/<int:pk>/language/", views.concern_language, name="concern-language"),
    path("concerns/<int:pk>/duplicate/", views.concern_duplicate, name="concern-duplicate"),
    path("concerns/<int:pk>/redact/", views.concern_redact, name="concern-redact"),
    path("concerns/<int:pk>/review/dismiss/", views.concern_review_dismiss, name="concern-review-dismiss"),
    path("concerns/<int:pk>/flags/resolve/", views.concern_flags_resolve, name="concern-flags-resolve"),
    path("concerns/<int:pk>/photos/<int:photo_id>/redact/", views.photo_redact, name="photo-redact"),
    path("concerns/<int:pk>/photos/<int:photo_id>/original/", views.photo_original, name="photo-original"),
    path("<slug:slug>/", views.inbox, name="inbox"),
    path("<slug:slug>/bulk/", views.inbox_bulk, name="inbox-bulk"),
    path("<slug:slug>/filters/", views.filter_save, name="filter-save"),
    path("<slug:slug>/filters/<int:filter_id>/delete/", views.filter_delete, name="filter-delete"),
    path("<slug:slug>/today/", views.today, name="today"),
    path("<slug:slug>/notes/<int:note_id>/follow-up/", views.note_follow_up, name="note-follow-up"),
    path("<slug:slug>/round/", views.street_round, name="round"),
    path("<slug:slug>/capture/", views.capture, name="capture"),
    path("<slug:slug>/round/contact/", views.contact_record, name="contact-record"),
    path("<slug:slug>/round/contacts/<int:contact_id>/concern/", views.contact_to_concern, name="contact-to-concern"),
    path("<slug:slug>/round/note/", views.note_record, name="note-record"),
    path("<slug:slug>/templates/", views.templates, name="templates"),
    path("<slug:slug>/templates/<int:template_id>/", views.templates, name="template-edit"),
    path("<slug:slug>/templates/<int:template_id>/delete/", views.template_delete, name="template-delete"),
    path("<slug:slug>/audit/", views.audit, name="audit"),
    path("<slug:slug>/posters/", views.poster, name="poster"),
    path("<slug:slug>/privacy/", views.privacy, name="privacy"),
    path("<slug:slug>/mail/", views.mail, name="mail"),
    path("<slug:slug>/mail/<int:mail_id>/resend/", views.mail_resend, name="mail-resend"),
    path("<slug:slug>/accessibility/", views.accessibility, name="accessibility"),
    path("<slug:slug>/accessibility/<int:pk>/answer/", views.accessibility_answer, name="accessibility-answer"),
]
