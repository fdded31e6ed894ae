# The portal's production image: gunicorn for the web, the same image for Celery workers and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=false \
    PYTHONUNBUFFERED=1 \
    KLA_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles

# Pango and HarfBuzz: WeasyPrint draws the PDF bundle with them; DejaVu: the charts' font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext fonts-dejavu-core curl \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=only-for-collectstatic-at-build-time-0123456789 python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 kla \
    && mkdir -p /app/var/media \
    && chown -R kla:kla /app/var

USER kla
EXPOSE 8000
CMD ["gunicorn", "kla_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
