// Home: the check-ins still going on, each with its planned end, check-out (open) or "end now"
// (a fixed stay left early), and when due the reminder with "stay longer"; the counters, the last
// scan, "PIN not checked yet" while a PIN card's check-in waits, the core's sync status (with
// check-ins dropped for a wrong PIN or a code never issued), and the way to every other screen.
// Lines with data (times, counters) are the core's whole sentences.
package org.spur.android

import android.widget.LinearLayout

class HomeScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.homeTitle
    override val name = "home"
    private var syncMessage = ""
    /** Set when home is built again with what a sync just changed: that build does not sync again. */
    private var synced = false

    override fun fill(column: LinearLayout) {
        val running = attempt { core.runningCheckIns() } ?: emptyList()
        if (running.isEmpty()) {
            column.addView(Ui.text(app, words.noOpenCheckIn, "home.open.none"))
        } else {
            column.addView(Ui.heading(app, words.openCheckIn, 20f))
        }
        var fixed = 0
        for (r in running) {
            // The open check-in keeps the tags "home.open.*"; fixed stays are "home.stay.N.*".
            val key = if (r.open) "home.open" else "home.stay.${fixed++}"
            column.addView(Ui.text(app, r.entry.name, "$key.name"))
            column.addView(Ui.text(app, r.times, "$key.times"))
            if (r.reminderDue) {
                column.addView(Ui.heading(app, words.reminderHeading, 18f))
                column.addView(Ui.text(app, r.reminder, "$key.reminder"))
                column.addView(Ui.button(app, words.stayLonger, "$key.extend") {
                    launch({ core.extendCheckIn(r.id, 60u) }) { app.render() }
                })
            }
            val end = if (r.open) words.checkOut else words.endEarly
            val tag = if (r.open) "home.checkout" else "$key.end"
            column.addView(Ui.button(app, end, tag) {
                launch({ core.endCheckIn(r.id) }) { result ->
                    app.render()
                    result?.let { app.current?.say(it.message) }
                }
            })
        }
        attempt { core.counters() }?.let { c ->
            column.addView(Ui.text(app, c.scansLine, "home.counters.scans"))
            column.addView(Ui.text(app, c.hoursLine, "home.counters.hours"))
            column.addView(Ui.text(app, c.lastScanLine, "home.counters.last"))
        }
        // While a PIN card's check-in waits for its PIN to be checked online, the core's note stays
        // on home; the sync's sentence below says when such a check-in was dropped (wrong PIN, a
        // code spur never issued) as well as what is still waiting.
        val pinNote = attempt { core.pinNotCheckedNote() }?.let { Ui.text(app, it, "home.pin") }
        pinNote?.let { column.addView(it) }
        val sync = Ui.text(app, syncMessage, "home.sync")
        column.addView(sync)
        column.addView(Ui.button(app, words.scanCode, "home.scan") { app.show(ScanScreen(app)) })
        column.addView(Ui.button(app, words.myPersonalCode, "home.personal") { app.show(PersonalCodeScreen(app)) })
        column.addView(Ui.button(app, words.createPlaceCode, "home.place") { app.show(PlaceCodeScreen(app)) })
        column.addView(Ui.button(app, words.history, "home.history") { app.show(HistoryScreen(app)) })
        column.addView(Ui.button(app, words.consent, "home.consent") { app.show(ScanScreen(app, words.scanConsentHint)) })
        column.addView(Ui.button(app, words.settings, "home.settings") { app.show(SettingsScreen(app)) })
        if (synced) {
            synced = false
            return
        }
        launch({ core.sync() }) { status ->
            syncMessage = status.message
            sync.text = status.message
            // The sync may have dropped a check-in shown above (wrong PIN, a code never issued,
            // too late) or checked a PIN: home is built again from the core's data, keeping the
            // sentence on show and the sync's message, without a second sync.
            val now = attempt { core.runningCheckIns() } ?: emptyList()
            val note = attempt { core.pinNotCheckedNote() }
            if (app.current === this && (now.map { it.id } != running.map { it.id } || (note == null) != (pinNote == null))) {
                val keep = said
                synced = true
                app.render()
                say(keep)
            }
        }
    }
}
