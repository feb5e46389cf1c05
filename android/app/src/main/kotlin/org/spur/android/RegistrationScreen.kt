// First start: explains what happens with the data, takes the registration form and hands it to
// the core; the core checks every field and says what to fix.
package org.spur.android

import android.text.Editable
import android.text.TextWatcher
import android.widget.LinearLayout
import org.spur.core.RegistrationForm

class RegistrationScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.registerTitle
    override val name = "registration"

    override fun fill(column: LinearLayout) {
        column.addView(Ui.heading(app, words.privacyHeading, 20f))
        column.addView(Ui.text(app, words.privacyText, "registration.privacy"))
        val phone = Ui.field(column, words.phone, "registration.phone", Ui.PHONE)
        val secret = Ui.field(column, words.secret, "registration.secret", Ui.SECRET)
        val strength = Ui.text(app, "", "registration.strength")
        column.addView(strength)
        secret.addTextChangedListener(object : TextWatcher {
            override fun beforeTextChanged(s: CharSequence?, start: Int, count: Int, after: Int) {}
            override fun onTextChanged(s: CharSequence?, start: Int, before: Int, count: Int) {}
            override fun afterTextChanged(s: Editable?) {
                strength.text = if (s.isNullOrEmpty()) "" else core.secretStrength(s.toString()).words
            }
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
}
