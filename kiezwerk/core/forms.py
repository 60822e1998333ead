"""Shared form helpers."""

from django import forms

# A date picker on phones; the value in ISO format, as the browser's date input sends it.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_errors(form, error):
    """Put a service's ValidationError on the form: at the fields it names, the rest on the form itself."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
