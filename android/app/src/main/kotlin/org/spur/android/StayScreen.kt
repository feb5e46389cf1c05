// After a scan: shows what was scanned (the place's name, or a person's code), offers the core's
// stay choices (an open check-in ends after the proposed two hours unless extended) and the
// owner's PIN when the code needs one, and checks in; home then says what the check-in did (and
// "PIN not checked yet" when a PIN card's check-in is kept until its PIN is checked online).
package org.spur.android

import android.widget.LinearLayout
import org.spur.core.Scanned

class StayScreen(app: MainActivity, private val codeText: String, private val code: Scanned) : Screen(app) {
    override val title get() = words.stayTitle
    override val name = "stay"

    override fun fill(column: LinearLayout) {
        when (code) {
            is Scanned.Place -> {
                column.addView(Ui.heading(app, code.name, 22f).apply { tag = "stay.place" })
                column.addView(Ui.text(app, "${code.country} ${code.postcode}"))
            }
            else -> column.addView(Ui.heading(app, words.personalCodeScanned, 22f).apply { tag = "stay.place" })
        }
        val options = core.stayOptions()
        val stays = Choices(column, words.stayTitle, "stay.option", options.map { it.label })
        val pin = if ((code as? Scanned.Personal)?.pinProtected == true)
            Ui.field(column, words.ownersPin, "stay.pin", Ui.PIN) else null
        column.addView(Ui.button(app, words.checkIn, "stay.checkin") {
            val chosen = stays.chosen ?: return@button say(words.stayTitle)
            launch({ core.checkIn(codeText, options[chosen].stay, pin?.text?.toString()?.ifBlank { null }) }) { result ->
                // The core's sentences: where and until when, what it ended, online or kept; and
                // for a PIN card whose PIN could not be checked online, "PIN not checked yet".
                val note = attempt { core.pinNotCheckedNote() }
                app.replaceAll(HomeScreen(app))
                app.current?.say(listOfNotNull(result.message, note).joinToString("\n"))
            }
        })
    }
}
