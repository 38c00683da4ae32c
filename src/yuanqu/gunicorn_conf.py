"""gunicorn's settings for yuanqu (`gunicorn -c python:yuanqu.gunicorn_conf yuanqu.wsgi`; `make serve`).

The request line and headers are bounded here, before Django sees anything; request bodies are
bounded by Django before they are read (core.security.RequestSizeLimitMiddleware: gunicorn has no
body limit) and by the reverse proxy (nginx client_max_body_size, docs/operations.md).
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A URL (with a list page's filters) of at most 4 KB, at most 100 headers of at most 8 KB each:
# gunicorn answers anything larger with 400 without passing it on.
limit_request_line = int(os.environ.get("YUANQU_LIMIT_REQUEST_LINE", "4094"))
limit_request_fields = int(os.environ.get("YUANQU_LIMIT_REQUEST_FIELDS", "100"))
limit_request_field_size = int(os.environ.get("YUANQU_LIMIT_REQUEST_FIELD_SIZE", "8190"))
# X-Forwarded-Proto is believed only from the proxy on this machine (settings.SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
