from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from lbs.domain.passwords import MAX_LENGTH, MIN_LENGTH


class SignupForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(_l("Choose a username.")),
            Length(3, 30, _l("Use 3 to 30 characters.")),
        ],
        description=_l("3 to 30 characters: letters, digits, _ and -."),
    )
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Give an email address.")),
            Length(max=254, message=_l("Too long.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(MIN_LENGTH, MAX_LENGTH, _l("Use %(min)d to %(max)d characters.")),
        ],
        description=_l(
            "At least %(num)d characters. A few random words make a good one.", num=MIN_LENGTH
        ),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )


class LoginForm(FlaskForm):
    login = StringField(
        _l("Username or email"),
        validators=[DataRequired(_l("Give your username or email.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Give your password.")), Length(max=MAX_LENGTH)]
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Give your current password."))]
    )
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Choose a new password.")),
            Length(MIN_LENGTH, MAX_LENGTH, _l("Use %(min)d to %(max)d characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Repeat it.")), EqualTo("password", _l("The two passwords differ."))],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email"),
        validators=[
            DataRequired(_l("Give an email address.")),
            Length(max=254, message=_l("Too long.")),
        ],
    )
    # The password form on the same page has a current_password too: one id per page, so
    # each label and error message points at its own field.
    current_password = PasswordField(
        _l("Current password"),
        id="email_current_password",
        validators=[DataRequired(_l("Give your current password."))],
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: for buttons such as 'log out'."""


class TokenForm(FlaskForm):
    # The page holds other forms too: an id of its own keeps label and errors together.
    name = StringField(
        _l("Token name"),
        id="token_name",
        validators=[
            DataRequired(_l("Name the token after the program that will use it.")),
            Length(max=60, message=_l("Keep the name under 60 characters.")),
        ],
        description=_l("For example the script or app that will use it."),
    )
