"""Photo intake: check, re-encode without metadata, make a thumbnail (and blur, for redaction).

Every uploaded image is decoded and written anew as JPEG, so EXIF (GPS
included), XMP, ICC comments and anything hidden in the file are gone.
Only image processing: the app that owns a photo stores the files.
"""

import io
import warnings

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


def photo_process(upload):
    """Return (image, thumbnail, (width, height)): JPEG files from an uploaded file.

    Raises ValidationError with code "too_large", "too_many_pixels",
    "unsupported" or "unreadable".
    """
    if upload.size > settings.MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is %(size)s; at most %(limit)s are allowed."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_PHOTO_BYTES)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as source:
                if source.format not in ACCEPTED_FORMATS:
                    raise ValidationError(_("Please send a photo as JPEG, PNG, WebP or HEIC."), code="unsupported")
                if source.width * source.height > settings.MAX_PHOTO_PIXELS:
                    raise _too_many_pixels()
                source.load()
                image = ImageOps.exif_transpose(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(_("The file could not be read as a photo."), code="unreadable") from error
    image = _to_rgb(image)
    image.thumbnail((settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE))
    size = image.size
    full = _encode(image, quality=85)
    image.thumbnail((settings.THUMBNAIL_EDGE, settings.THUMBNAIL_EDGE))
    thumb = _encode(image, quality=75)
    return full, thumb, size


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
