from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    label = "orgs"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from apps.orgs.middleware import SessionKeepAliveMiddleware

        # Signing in writes the session anyway: note the time, so the next request need not write it again.
        user_logged_in.connect(SessionKeepAliveMiddleware.touch_on_login, dispatch_uid="orgs.session_touch")
