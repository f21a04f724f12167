"""gunicorn's settings, read from the working directory whichever way the web process starts (Procfile, Dockerfile).

The request's head is capped here. gunicorn has no limit on bodies: Django caps them (DATA_UPLOAD_MAX_MEMORY_SIZE for
form fields, editorial.uploads.LimitedUploadHandler for files, which stops reading as soon as a file passes its
limit); a reverse proxy in front should cap them too (nginx: `client_max_body_size 110m`).
"""

# The production image's web process (Dockerfile) and the benchmarks that stand for it (bench/ask.py) read these:
# one place, so a benchmark measures what runs. Threads overlap the waits on PostgreSQL and Redis; processes get
# past the GIL on a machine's cores. `make run` (Procfile) asks for fewer on a laptop.
workers = 3
threads = 4

limit_request_line = 4094  # bytes of the request line: the longest URL the app makes is far shorter
limit_request_fields = 50  # headers per request (a browser sends about 15)
limit_request_field_size = 8190  # bytes of one header: room for the session, CSRF and language cookies
