// History: the check-ins of the last 28 days as the core lists them, newest first.
package org.spur.android

import android.widget.LinearLayout

class HistoryScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.historyTitle
    override val name = "history"

    override fun fill(column: LinearLayout) {
        if (attempt { core.historyEnabled() } == false) column.addView(Ui.text(app, words.historyOffNote, "history.off"))
        val entries = attempt { core.history() } ?: return
        if (entries.isEmpty()) column.addView(Ui.text(app, words.historyEmpty, "history.empty"))
        entries.forEachIndexed { index, visit ->
            column.addView(Ui.text(app, "${visit.name}\n${visit.times}", "history.entry.$index"))
        }
    }
}
