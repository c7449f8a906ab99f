"""`python -m analysis user ...` (SPEC §5, §8): manage accounts from the server.

    user add NAME --role director|dept_head|admin [--department D]
    user passwd NAME          (a new password; the account's sessions end, its lock lifts)
    user disable NAME         (no more sign-in; open sessions end)
    user enable NAME
    user unlock NAME          (lift a lock after failed sign-ins)
    user list                 (JSON, never a hash)

A password is never an argument (shell history and the process list would keep it):
on a terminal it is asked twice (getpass, not echoed); otherwise it is the first line of
standard input, for scripts: `printf '%s\\n' "$PW" | python -m analysis user add ...`.
`--password` is refused with an explanation, and an unexpected argument is refused without
being repeated (it may be a password). The command line is run by someone with access to
the server's files, so it manages accounts without signing in (its audit entries carry the
operating-system user).

Every command prints JSON: `{"status": ..., "account": {...}}`, or `{"status": "error",
"error": message}` with exit 1 (2 for a password given as an argument or unreadable input).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from analysis.cli import UsageError, add_db_argument, print_json

# cli.main: never repeat an unexpected argument of this command (it may be a password).
ECHO_UNKNOWN_ARGUMENTS = False

PASSWORD_ARGUMENT = ("Mật khẩu không bao giờ được ghi ở dòng lệnh (lịch sử lệnh và danh sách "
                     "tiến trình sẽ lưu lại nó). Hãy nhập khi được hỏi, hoặc đưa vào đầu vào "
                     "chuẩn, ví dụ: printf '%s\\n' \"$MAT_KHAU\" | python -m analysis user add "
                     "TÊN --role admin")
NO_PASSWORD_INPUT = "Không đọc được mật khẩu: đầu vào chuẩn trống."
NOT_UTF8 = "Không đọc được mật khẩu: đầu vào chuẩn không phải văn bản UTF-8."
MISMATCH = "Hai lần nhập mật khẩu không khớp nhau. Chưa có gì thay đổi."
PROMPT, PROMPT_AGAIN = "Mật khẩu (ít nhất 12 ký tự): ", "Nhập lại mật khẩu: "


class _RefusePassword(argparse.Action):
    """`--password [VALUE]`: remembered as given, the value itself is thrown away."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.password_argument = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def verb(name: str, help_text: str, takes_name: bool = True) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        if takes_name:
            sub.add_argument("name", metavar="NAME", help="account name (the sign-in name)")
        sub.add_argument("--password", "-p", nargs="?", action=_RefusePassword,
                         help=argparse.SUPPRESS, dest="password_argument", default=False)
        add_db_argument(sub)
        return sub

    add = verb("add", "create an account; the password is asked (or read from stdin)")
    add.add_argument("--role", required=True, choices=["director", "dept_head", "admin"])
    add.add_argument("--department", default=None, metavar="D",
                     help="the department of a department head (dept_head)")
    verb("passwd", "set a new password (asked, or read from stdin)")
    verb("disable", "stop an account from signing in")
    verb("enable", "let a disabled account sign in again")
    verb("unlock", "lift a lock after failed sign-ins")
    verb("list", "print the accounts as JSON (no password hash)", takes_name=False)


def read_password(stdin=None, ask=getpass.getpass) -> str:
    """Asked twice on a terminal; else the first line of standard input (its line end
    removed, nothing else). Raises UsageError / AccountError with a Vietnamese message."""
    from analysis.accounts import AccountError

    stream = stdin if stdin is not None else sys.stdin
    if stream.isatty():
        first, second = ask(PROMPT), ask(PROMPT_AGAIN)
        if first != second:
            raise AccountError(MISMATCH)
        return first
    raw = getattr(stream, "buffer", stream).readline()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(NOT_UTF8) from None
    if not raw:
        raise UsageError(NO_PASSWORD_INPUT)
    return raw.removeprefix("\ufeff").rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from analysis.accounts import NO_ACCOUNT, AccountError, Accounts
    from analysis.store import open_store

    if args.password_argument:
        print(f"python -m analysis user {args.verb}: {PASSWORD_ARGUMENT}", file=sys.stderr)
        print_json({"status": "error", "error": PASSWORD_ARGUMENT})
        return 2
    store = open_store(args.db)
    try:
        accounts = Accounts(store)
        if args.verb == "list":
            print_json([a.to_dict() for a in accounts.list()])
            return 0
        try:
            if args.verb == "add":
                account = accounts.add(args.name, args.role, read_password(),
                                       department=args.department)
                print_json({"status": "added", "account": account.to_dict()})
                return 0
            if args.verb == "passwd":
                if accounts.get(args.name) is None:  # say so before asking for a password
                    raise AccountError(NO_ACCOUNT.format(name=args.name))
                accounts.set_password(args.name, read_password())
            elif args.verb == "disable":
                accounts.disable(args.name)
            elif args.verb == "enable":
                accounts.enable(args.name)
            elif args.verb == "unlock":
                accounts.unlock(args.name)
        except AccountError as error:
            print(error.message, file=sys.stderr)
            print_json({"status": "error", "error": error.message})
            return 1
        status = {"passwd": "password_changed", "disable": "disabled", "enable": "enabled",
                  "unlock": "unlocked"}[args.verb]
        print_json({"status": status, "account": accounts.get(args.name).to_dict()})
        return 0
    finally:
        store.close()
