"""Photo intake: cheap checks, then re-encode without metadata and make a thumbnail (and blur, for redaction).

`photos_check` looks at a post's files without decoding them (number, size, first bytes, the pixel
dimensions in the header), so a form can refuse them before anything else happens. `photo_process`
then decodes each image once and writes it anew as JPEG, so EXIF (GPS included), XMP, ICC comments
and anything hidden in the file are gone. Only image processing: the app that owns a photo stores the files.
"""

import io
import warnings
from contextlib import contextmanager

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()
# Pillow warns past this many pixels and refuses twice as many: both are refused here.
Image.MAX_IMAGE_PIXELS = settings.MAX_PHOTO_PIXELS

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
# The brands of an ISO media file ("ftyp" box) that hold a HEIF image (HEIC from phones among them).
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


def photos_check(uploads):
    """The cheap checks of a post's photos, before any is decoded or stored: their number and `photo_check`.

    Returns a list of ValidationErrors, each naming its file (empty when all may be processed).
    """
    if len(uploads) > settings.MAX_PHOTOS:
        return [
            ValidationError(
                _("Please choose at most %(max)s photos; you chose %(count)s."),
                code="too_many_photos",
                params={"max": settings.MAX_PHOTOS, "count": len(uploads)},
            )
        ]
    errors = []
    for upload in uploads:
        try:
            photo_check(upload)
        except ValidationError as error:
            errors.append(named(upload, error))
    return errors


def named(upload, error):
    """A photo's ValidationError with the name of its file in front."""
    return ValidationError(
        _("“%(name)s”: %(error)s"), code=error.code, params={"name": upload.name, "error": " ".join(error.messages)}
    )


def photo_check(upload):
    """Check one uploaded file without decoding it: its size, its first bytes (JPEG, PNG, WebP or HEIF,
    whatever the browser claims it is) and its pixel dimensions as its header gives them.

    `Image.open` only reads the header; nothing is decoded. Raises ValidationError with code
    "too_large", "unsupported", "too_many_pixels" or "unreadable".
    """
    if upload.size > settings.MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is %(size)s; at most %(limit)s are allowed."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_PHOTO_BYTES)},
        )
    upload.seek(0)
    head = upload.read(12)
    if not _image_signature(head):
        raise _unsupported()
    try:
        with _opened(upload) as header:
            if header.format not in ACCEPTED_FORMATS:
                raise _unsupported()
            if header.width * header.height > settings.MAX_PHOTO_PIXELS:
                raise _too_many_pixels()
    finally:
        upload.seek(0)


def _image_signature(head):
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS)
    )


@contextmanager
def _opened(upload):
    """The image of an upload, opened lazily; Pillow's and our errors become ValidationErrors."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(_("The file could not be read as a photo."), code="unreadable") from error


def photo_process(upload):
    """Return (image, thumbnail, (width, height)): JPEG files from an uploaded file.

    The expensive part, once per photo of a report that is filed: `photo_check` first, then decode,
    turn upright, scale and re-encode. Raises ValidationError with code "too_large",
    "too_many_pixels", "unsupported" or "unreadable".
    """
    photo_check(upload)
    with _opened(upload) as source:
        source.load()
        image = ImageOps.exif_transpose(source)
    image = _to_rgb(image)
    image.thumbnail((settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE))
    size = image.size
    full = _encode(image, quality=85)
    image.thumbnail((settings.THUMBNAIL_EDGE, settings.THUMBNAIL_EDGE))
    thumb = _encode(image, quality=75)
    return full, thumb, size


def _unsupported():
    return ValidationError(_("Please send a photo as JPEG, PNG, WebP or HEIC."), code="unsupported")


def _too_many_pixels():
    return ValidationError(
        _("The photo has too many pixels (at most %(limit)s megapixels)."),
        code="too_many_pixels",
        params={"limit": settings.MAX_PHOTO_PIXELS // 1_000_000},
    )


def _to_rgb(image):
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image, *, quality):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def photo_blur(file):
    """Return (image, thumbnail): a blurred copy of a stored photo, for a redacted public version."""
    with Image.open(file) as source:
        image = _to_rgb(source)
    radius = max(image.size) / 25
    image = image.filter(ImageFilter.GaussianBlur(radius))
    full = _encode(image, quality=70)
    image.thumbnail((settings.THUMBNAIL_EDGE, settings.THUMBNAIL_EDGE))
    return full, _encode(image, quality=70)
