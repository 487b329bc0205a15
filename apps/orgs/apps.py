from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    label = "orgs"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from apps.core.todos import register
        from apps.orgs.middleware import SessionKeepAliveMiddleware
        from apps.orgs.selectors import invitation_todos

        register(invitation_todos)  # an existing account's invitation to a role waits for its answer

        # Signing in writes the session anyway: note the time, so the next request need not write it again.
        user_logged_in.connect(SessionKeepAliveMiddleware.touch_on_login, dispatch_uid="orgs.session_touch")
