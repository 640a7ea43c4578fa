"""Generic page residue in the phrase data (rules/phrases/*.toml), most of it added in
rule-set version 2026.11.5: each kind goes as a whole line; the same words in a sentence
stay (test_metadata_lines.py), and so does a tutorial's subheading between lines of text."""

from __future__ import annotations

import pytest

from .conftest import cleaned

BODY = ("The council met on Monday and approved the budget for next year after a long "
        "debate.\n\nThe vote was close, and the mayor said the bridge would be built first.\n")


@pytest.mark.parametrize("line", [
    # added with the metadata rules (2026.11.1)
    "Table of contents", "Inhaltsverzeichnis", "Want to join the discussion?",
    "This site uses Akismet to reduce spam.", "Get the recipe", "Talk to sales", "Book a demo",
    "Oops! Something went wrong while submitting the form.", "Show less", "About the author",
    "Add as a preferred source on Google",
    # spam honeypots and required-field legends of web forms
    "This field is for validation purposes and should be left unchanged.",
    "If you are human, leave this field blank.",
    "Leave this field empty if you're human:",
    "* indicates required",
    "Please enable JavaScript in your browser to complete this form.",
    "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.",
    # labels for screen readers and icon fonts
    "YouTube video player",
    "Opens in a new tab",
    "chevron_right",
    "keyboard_arrow_down",
    # toggles, teaser and post navigation
    "Read less",
    "Read article",
    "Older post",
    "Post navigation",
    "Skip to primary sidebar",
    "Suggested articles",
    # share, follow, sign-up confirmations, comment forms, consent, shop buttons
    "Sharing is caring!",
    "+ Follow",
    "Share on Tumblr",
    "Subscribe to get the latest posts sent to your email.",
    "Awesome, you're subscribed!",
    "We respect your privacy. Unsubscribe at any time.",
    "You are commenting using your Facebook account.",
    "Notify me of new comments via email.",
    "Votre adresse e-mail ne sera pas publiée.",
    "This website uses cookies to improve your experience. We'll assume you're ok with this, "
    "but you can opt-out if you wish.",
    "Subscribe now to keep reading and get access to the full archive.",
    "Book now",
    "Visit website",
    "Add to cart",
])
def test_generic_residue_lines_go(line: str) -> None:
    assert cleaned(BODY + "\n" + line + "\n\n" + BODY) == BODY + "\n" + BODY


def test_a_call_to_action_heading_of_a_tutorial_stays_and_the_button_goes() -> None:
    tutorial = ("Get started\n\nInstall the package with the installer of your system and "
                "open a terminal in the folder of the project.\n")
    text = BODY + "\n" + tutorial + "\n" + BODY
    assert cleaned(text) == text  # a subheading between lines of text
    menu = "Pricing\nFeatures\nGet started\n"
    assert cleaned(BODY + "\n" + menu) == BODY  # among menu items: the button
