"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured from the environment.

- ``config``: the settings read from environment variables (pure, imported by settings.py);
- ``services``: what a sign-in does to the portal's user (identity, name, roles);
- ``backends``: the OIDC backend (ID token checks) and the password backend that obeys
  ``KCCPERF_LOCAL_LOGIN``;
- ``forms``, ``views``, ``urls``: the login forms, sign-in start/callback and sign-out.
"""
