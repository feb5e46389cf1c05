// Home: the open check-in with its end time and check-out, the counters, the last scan, the
// core's sync status, and the way to every other screen.
package org.spur.android

import android.widget.LinearLayout
import java.util.Locale

class HomeScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.homeTitle
    override val name = "home"
    private var syncMessage = ""

    override fun fill(column: LinearLayout) {
        val lang = words.languageTag
        val open = attempt { core.openCheckIn() }
        if (open != null) {
            column.addView(Ui.heading(app, words.openCheckIn, 20f))
            column.addView(Ui.text(app, open.name, "home.open.name"))
            val end = open.timeOut?.let { "${words.until} ${Times.time(it, lang)}" } ?: words.untilCheckOut
            column.addView(Ui.text(app, "${words.checkedInSince} ${Times.time(open.timeIn, lang)}, $end", "home.open.times"))
            column.addView(Ui.button(app, words.checkOut, "home.checkout") {
                launch({ core.checkOut() }) { app.render(); app.current?.say(words.checkedOut) }
            })
        } else {
            column.addView(Ui.text(app, words.noOpenCheckIn, "home.open.none"))
        }
        attempt { core.counters() }?.let { c ->
            column.addView(Ui.text(app, "${words.scans}: ${c.scans}", "home.counters.scans"))
            column.addView(Ui.text(app, "${words.contactHours}: ${String.format(Locale.forLanguageTag(lang), "%.1f", c.contactHours)}", "home.counters.hours"))
            val last = c.lastScan?.let { Times.dateTime(it, lang) } ?: words.never
            column.addView(Ui.text(app, "${words.lastScan}: $last", "home.counters.last"))
        }
        val sync = Ui.text(app, syncMessage, "home.sync")
        column.addView(sync)
        column.addView(Ui.button(app, words.scanCode, "home.scan") { app.show(ScanScreen(app)) })
        column.addView(Ui.button(app, words.myPersonalCode, "home.personal") { app.show(PersonalCodeScreen(app)) })
        column.addView(Ui.button(app, words.createPlaceCode, "home.place") { app.show(PlaceCodeScreen(app)) })
        column.addView(Ui.button(app, words.history, "home.history") { app.show(HistoryScreen(app)) })
        column.addView(Ui.button(app, words.consent, "home.consent") { app.show(ScanScreen(app, words.scanConsentHint)) })
        column.addView(Ui.button(app, words.settings, "home.settings") { app.show(SettingsScreen(app)) })
        launch({ core.sync() }) { status ->
            syncMessage = status.message
            sync.text = status.message
        }
    }
}
