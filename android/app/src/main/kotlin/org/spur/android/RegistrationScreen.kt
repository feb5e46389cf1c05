// First start: explains what happens with the data, takes the registration form and hands it to
// the core; the core checks every field and says what to fix. The secret field is filled with the
// core's proposed passphrase, shown in clear so it can be written down.
package org.spur.android

import android.text.Editable
import android.text.InputType
import android.text.TextWatcher
import android.widget.LinearLayout
import org.spur.core.RegistrationForm

class RegistrationScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.registerTitle
    override val name = "registration"
    // Kept while the screen is shown, so a re-render does not change what was written down.
    private var proposal: String? = null

    override fun fill(column: LinearLayout) {
        column.addView(Ui.heading(app, words.privacyHeading, 20f))
        column.addView(Ui.text(app, words.privacyText, "registration.privacy"))
        val phone = Ui.field(column, words.phone, "registration.phone", Ui.PHONE)
        val proposed = proposal ?: core.proposePassphrase().also { proposal = it }
        column.addView(Ui.text(app, words.secretHint, "registration.secretHint"))
        val secret = Ui.field(column, words.secret, "registration.secret", PASSPHRASE, proposed)
        val strength = Ui.text(app, "", "registration.strength")
        column.addView(strength)
        fun judge() {
            val typed = secret.text.toString()
            strength.text = if (typed.isEmpty()) "" else core.secretStrength(typed, phone.text.toString()).words
        }
        val watcher = object : TextWatcher {
            override fun beforeTextChanged(s: CharSequence?, start: Int, count: Int, after: Int) {}
            override fun onTextChanged(s: CharSequence?, start: Int, before: Int, count: Int) {}
            override fun afterTextChanged(s: Editable?) = judge()
        }
        secret.addTextChangedListener(watcher)
        phone.addTextChangedListener(watcher)
        judge()
        column.addView(Ui.button(app, words.secretPropose, "registration.propose") {
            proposal = core.proposePassphrase()
            secret.setText(proposal)
        })
        val country = Ui.field(column, words.country, "registration.country", Ui.CAPITALS, "DE")
        val postcode = Ui.field(column, words.postcode, "registration.postcode", Ui.NUMBER)
        val campus = Ui.field(column, words.campusId, "registration.campus")
        val birthYear = Ui.field(column, words.birthYear, "registration.birthYear", Ui.NUMBER)
        column.addView(Ui.button(app, words.register, "registration.register") {
            val form = RegistrationForm(
                phone = phone.text.toString(),
                secret = secret.text.toString(),
                country = country.text.toString(),
                postcode = postcode.text.toString().ifBlank { null },
                campusId = campus.text.toString().ifBlank { null },
                // The core judges the year; a number too large for 16 bits is passed as 0 so it says why.
                birthYear = birthYear.text.toString().ifBlank { null }?.let { it.toIntOrNull()?.takeIf { y -> y in 0..65535 }?.toUShort() ?: 0u },
            )
            launch({ core.register(form) }) { sent ->
                if (!sent) say(words.registeredOffline)
                app.start()
            }
        })
    }

    private companion object {
        // Visible: a proposal is meant to be read and written down; no suggestions or autocorrect.
        const val PASSPHRASE = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_VISIBLE_PASSWORD
    }
}
