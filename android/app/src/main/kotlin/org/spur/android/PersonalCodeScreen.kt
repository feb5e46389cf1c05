// My personal code: makes one (temporary or for printing, optionally with a PIN) through the
// core, shows it, and prints it; lists the personal codes this device made.
package org.spur.android

import android.widget.LinearLayout
import org.spur.core.OwnCode

class PersonalCodeScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.personalTitle
    override val name = "personal"
    private var made: OwnCode? = null

    override fun fill(column: LinearLayout) {
        made?.let { CodeView.show(app, column, it, words, ::say) }
        val pin = Ui.field(column, words.optionalPin, "personal.pin", Ui.PIN)
        val printable = Ui.checkBox(app, words.forPrinting, "personal.printable", false)
        column.addView(printable)
        column.addView(Ui.button(app, words.makeCode, "personal.make") {
            launch({ core.createPersonalCode(pin.text.toString().ifBlank { null }, printable.isChecked) }) {
                made = it
                app.render()
            }
        })
        val own = attempt { core.ownCodes() }.orEmpty().filter { it.personal && it.qrId != made?.qrId }
        if (own.isNotEmpty()) {
            column.addView(Ui.heading(app, words.ownCodes, 20f))
            own.forEach { CodeView.show(app, column, it, words, ::say) }
        }
    }
}
