"""Test helpers shared by the shell, portal and API tests."""

from fazhi.org.tests.factories import PersonFactory, UserFactory

PASSWORD = "pass-for-tests-1"


def saved(user):
    # UserFactory sets the password after the INSERT and does not save it
    # (skip_postgeneration_save); save it, so that password sign-in and the
    # session's password hash check work. Harmless once the factory saves.
    user.save()
    return user


def user_with_password(**kw):
    return saved(UserFactory(**kw))


def login(client, person_or_user=None, **person_kw):
    """Sign in (force_login) as a person (made if not given); return the person/user."""
    obj = person_or_user if person_or_user is not None else PersonFactory(**person_kw)
    user = getattr(obj, "user", obj)
    saved(user)
    client.force_login(user)
    return obj
