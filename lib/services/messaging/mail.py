"""E-mail: every message goes to the outbox first; the job runner delivers it."""

from __future__ import annotations

from lib.domain.accounts import User
from lib.services.context import AppContext
from lib.services.uow import AbstractUnitOfWork

MAX_ATTEMPTS = 5  # deliveries tried per message; then it is a dead letter until an admin sends it again

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "email.verify_email": {
        "en": ("Confirm your Cocreate e-mail",
               "Hello {name},\n\nConfirm your e-mail address for Cocreate by opening this link "
               "within 48 hours:\n\n{link}\n\nIf you did not sign up, ignore this message."),
        "ko": ("Cocreate 이메일을 확인해 주세요",
               "{name}님, 안녕하세요.\n\n48시간 안에 아래 링크를 열어 Cocreate 이메일 주소를 "
               "확인해 주세요.\n\n{link}\n\n가입하지 않으셨다면 이 메일을 무시하세요."),
    },
    "email.reset_password": {
        "en": ("Reset your Cocreate password",
               "Hello {name},\n\nSomeone asked to reset the password of your Cocreate account. "
               "Open this link within one hour to choose a new one:\n\n{link}\n\n"
               "If it was not you, ignore this message; your password stays as it is."),
        "ko": ("Cocreate 비밀번호 재설정",
               "{name}님, 안녕하세요.\n\nCocreate 계정의 비밀번호 재설정이 요청되었습니다. "
               "한 시간 안에 아래 링크를 열어 새 비밀번호를 정하세요.\n\n{link}\n\n"
               "직접 요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다."),
    },
}


def enqueue_email(ctx: AppContext, uow: AbstractUnitOfWork, user: User, template: str, **params: str) -> int:
    """Write one message to the outbox inside the caller's transaction."""
    by_locale = TEMPLATES[template]
    subject, body = by_locale.get(user.locale, by_locale["en"])
    text = body.format(name=user.display_name, **params)
    return uow.outbox.add(user.email, subject, text, ctx.now())
