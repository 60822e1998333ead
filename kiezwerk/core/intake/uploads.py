"""The first upload handler (`settings.FILE_UPLOAD_HANDLERS`): a request larger than its photos may be
keeps its form fields but none of its files, so nothing of it is written to disk.

Django bounds a request's form fields (`DATA_UPLOAD_MAX_MEMORY_SIZE`) but not its files; the reverse
proxy's body limit (`docs/operations.md`) comes first, this one is the app's own. The view tells the
person (`refused`), with what they typed kept.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def upload_limit():
    """The largest request that is read with its files: MAX_PHOTOS photos at their largest, plus the form."""
    return settings.MAX_PHOTOS * settings.MAX_PHOTO_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def refused(request):
    """Whether the files of this request were left unread because it was too large."""
    return getattr(request, "_uploads_refused", False)


class UploadLimit(FileUploadHandler):
    too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > upload_limit()
        if self.too_large and self.request is not None:
            self.request._uploads_refused = True
        return None  # Django parses the request, with this handler in front

    def new_file(self, *args, **kwargs):
        if self.too_large:
            raise SkipFile  # no later handler sees the file: nothing is written
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
