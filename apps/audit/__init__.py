# Here rather than in services.py so that settings.py, which loads before the app registry, can import it to
# refuse the development key when DEBUG is off.
DEV_AUDIT_KEY = "dev-only-audit-key-change-me"
