# The production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 museumcm
WORKDIR /app

COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN DEBUG=true SECRET_KEY=build python manage.py collectstatic --noinput --verbosity 0 \
    && DEBUG=true SECRET_KEY=build python manage.py compilemessages --ignore=.venv --verbosity 0 \
    && mkdir -p /data && chown museumcm /data

USER museumcm
EXPOSE 8000
CMD ["gunicorn", "museumcm.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]  # workers: gunicorn.conf.py
