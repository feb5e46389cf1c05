// Lock: asks for the app PIN; the core checks it (and slows down guessing).
package org.spur.android

import android.widget.LinearLayout

class LockScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.lockTitle
    override val name = "lock"

    override fun fill(column: LinearLayout) {
        val pin = Ui.field(column, words.appPin, "lock.pin", Ui.PIN)
        column.addView(Ui.button(app, words.unlock, "lock.unlock") {
            launch({ core.unlock(pin.text.toString()) }) { open -> if (open) app.start() else say(words.wrongPin) }
        })
    }
}
