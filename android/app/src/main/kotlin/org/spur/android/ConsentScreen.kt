// Consent: the core verifies the health authority's code and says who asks for which days; the
// user enters phone number and secret to release exactly those days, and sees the confirmation.
package org.spur.android

import android.widget.LinearLayout
import org.spur.core.ConsentInfo

class ConsentScreen(app: MainActivity, private val codeText: String) : Screen(app) {
    override val title get() = words.consentTitle
    override val name = "consent"
    private var info: ConsentInfo? = null
    private var thanks: String? = null

    override fun fill(column: LinearLayout) {
        val shown = info
        when {
            thanks != null -> column.addView(Ui.text(app, thanks!!, "consent.thanks"))
            // A refused code leaves the core's reason in the status line and nothing else.
            shown == null -> launch({ core.consentInfo(codeText) }) { info = it; app.render() }
            else -> {
                column.addView(Ui.text(app, shown.authorityLine, "consent.authority"))
                column.addView(Ui.text(app, shown.caseLine, "consent.case"))
                column.addView(Ui.text(app, shown.daysLine, "consent.days"))
                column.addView(Ui.text(app, shown.text, "consent.text"))
                val phone = Ui.field(column, words.phone, "consent.phone", Ui.PHONE)
                val secret = Ui.field(column, words.secret, "consent.secret", Ui.SECRET)
                column.addView(Ui.button(app, words.release, "consent.release") {
                    launch({ core.giveConsent(codeText, phone.text.toString(), secret.text.toString()) }) {
                        thanks = it
                        app.render()
                    }
                })
            }
        }
    }
}
