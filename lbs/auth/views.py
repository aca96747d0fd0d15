"""Signing up, logging in and out, and the account settings page."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lbs.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmptyForm,
    LoginForm,
    SignupForm,
    TokenForm,
)
from lbs.domain import accounts, tokens
from lbs.domain.errors import Invalid
from lbs.extensions import db, limiter
from lbs.forms import attach_error, form_status
from lbs.ratelimits import client_address, login_name, setting
from lbs.security import safe_next

bp = Blueprint("auth", __name__)


def _log_in(user, remember=False):
    # A fresh session dict at log-in: nothing from before (a planted cookie) survives it.
    session.clear()
    accounts.start_session(user, request.user_agent.string)
    db.session.commit()
    login_user(user, remember=remember)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(setting("SIGNUP_LIMIT_PER_ADDRESS"), key_func=client_address, methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("commons.home"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(form.username.data, form.email.data, form.password.data)
            db.session.flush()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            _log_in(user)
            current_app.logger.info("auth: sign-up of %s", user.username)
            flash(_("Welcome to the commons, %(name)s.", name=user.username), "success")
            return redirect(url_for("commons.home"))
    return render_template("auth/signup.html", form=form), form_status(form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(setting("LOGIN_LIMIT_PER_ADDRESS"), key_func=client_address, methods=["POST"],
               scope="login-address")
@limiter.limit(setting("LOGIN_LIMIT_PER_ACCOUNT"), key_func=login_name, methods=["POST"],
               scope="login-account")
def login():
    form = LoginForm(next=request.args.get("next", ""))
    target = safe_next(form.next.data, url_for("commons.home"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.login.data, form.password.data)
        except Invalid as error:
            db.session.rollback()
            current_app.logger.info(
                "auth: failed log-in for %r from %s", form.login.data[:254], client_address()
            )
            attach_error(form, error)
        else:
            _log_in(user, remember=form.remember.data)
            current_app.logger.info("auth: log-in of %s from %s", user.username, client_address())
            flash(_("Welcome back, %(name)s.", name=user.username), "success")
            return redirect(target)
    return render_template("auth/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        accounts.end_session(current_user.current_session_token)
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("commons.home"))


def _settings_page(password_form=None, email_form=None, status=200, token_form=None,
                   new_token=None):
    return render_template(
        "auth/account.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        email_form=email_form or ChangeEmailForm(formdata=None),
        end_form=EmptyForm(formdata=None),
        sessions=accounts.live_sessions(current_user),
        current_token=current_user.current_session_token,
        is_current=accounts.is_current_session,
        token_form=token_form or TokenForm(formdata=None),
        api_tokens=tokens.live_tokens(current_user),
        new_token=new_token,
    ), status


@bp.route("/account")
@login_required
def account():
    return _settings_page()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current_password.data, form.password.data)
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Your password is changed. Your other sessions are logged out."), "success")
            return redirect(url_for("auth.account"))
    return _settings_page(password_form=form, status=400)


@bp.route("/account/email", methods=["POST"])
@login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            accounts.change_email(current_user, form.current_password.data, form.email.data)
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Your email address is changed."), "success")
            return redirect(url_for("auth.account"))
    return _settings_page(email_form=form, status=400)


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    accounts.end_session_by_id(current_user, session_id)
    db.session.commit()
    flash(_("That session is logged out."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if not EmptyForm().validate_on_submit():
        abort(400)
    accounts.end_all_sessions(current_user, keep_token=current_user.current_session_token)
    db.session.commit()
    flash(_("All your other sessions are logged out."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, secret = tokens.create_token(current_user, form.name.data)
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            # Shown in this response only: the secret is never stored, flashed or put in a
            # cookie, so the page that shows it is the one chance to copy it.
            return _settings_page(new_token={"name": token.name, "secret": secret}, status=201)
    return _settings_page(token_form=form, status=400)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not tokens.revoke_token(current_user, token_id):
        abort(404, _("You have no live token with that number."))
    db.session.commit()
    flash(_("That token is revoked: programs using it can no longer act for you."), "info")
    return redirect(url_for("auth.account"))
