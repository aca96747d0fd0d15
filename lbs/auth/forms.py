from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from lbs.domain.passwords import MAX_LENGTH, MIN_LENGTH


class SignupForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Choose a username."), Length(3, 30, "Use 3 to 30 characters.")],
        description="3 to 30 characters: letters, digits, _ and -.",
    )
    email = EmailField(
        "Email",
        validators=[DataRequired("Give an email address."), Length(max=254, message="Too long.")],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Choose a password."),
            Length(MIN_LENGTH, MAX_LENGTH, f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."),
        ],
        description=f"At least {MIN_LENGTH} characters. A few random words make a good one.",
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[
            DataRequired("Repeat the password."),
            EqualTo("password", "The two passwords differ."),
        ],
    )


class LoginForm(FlaskForm):
    login = StringField(
        "Username or email",
        validators=[DataRequired("Give your username or email."), Length(max=254)],
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Give your password."), Length(max=MAX_LENGTH)]
    )
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Give your current password.")]
    )
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a new password."),
            Length(MIN_LENGTH, MAX_LENGTH, f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."),
        ],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired("Repeat it."), EqualTo("password", "The two passwords differ.")],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        "New email",
        validators=[DataRequired("Give an email address."), Length(max=254, message="Too long.")],
    )
    # The password form on the same page has a current_password too: one id per page, so
    # each label and error message points at its own field.
    current_password = PasswordField(
        "Current password",
        id="email_current_password",
        validators=[DataRequired("Give your current password.")],
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token: for buttons such as 'log out'."""


class TokenForm(FlaskForm):
    # The page holds other forms too: an id of its own keeps label and errors together.
    name = StringField(
        "Token name",
        id="token_name",
        validators=[
            DataRequired("Name the token after the program that will use it."),
            Length(max=60, message="Keep the name under 60 characters."),
        ],
        description="For example the script or app that will use it.",
    )
