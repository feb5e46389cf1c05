// The base of every screen: builds its views into a page under a heading and a status line, and
// runs the core's suspending calls, showing the core's own message when one fails.
package org.spur.android

import android.view.View
import android.widget.LinearLayout
import android.widget.TextView
import kotlinx.coroutines.launch
import org.spur.core.Captions
import org.spur.core.Spur
import org.spur.core.SpurException

abstract class Screen(protected val app: MainActivity) {
    abstract val title: String
    /** A stable name for tests and screenshots. */
    abstract val name: String

    protected val core: Spur get() = app.core
    protected val words: Captions get() = app.labels
    private var status: TextView? = null

    protected abstract fun fill(column: LinearLayout)

    fun build(): View {
        val (page, column) = Ui.page(app)
        page.tag = "screen.$name"
        column.addView(Ui.heading(app, title))
        status = Ui.status(app).also { column.addView(it) }
        fill(column)
        return page
    }

    /** The sentence the live region shows now. */
    protected val said: String get() = status?.text?.toString() ?: ""

    /** Shows a sentence (the core's, or a caption) in the live region. */
    fun say(text: String) {
        status?.apply {
            this.text = text
            visibility = if (text.isEmpty()) View.GONE else View.VISIBLE
        }
    }

    /** Runs a core call that may fail; on failure shows the core's message as it is. */
    protected fun <T> attempt(call: () -> T): T? = try {
        call()
    } catch (e: SpurException) {
        say(e.words())
        null
    }

    /** Runs a suspending core call off the main thread's stack; `done` runs on the main thread. */
    protected fun <T> launch(call: suspend () -> T, done: (T) -> Unit) {
        app.busy += 1
        app.scope.launch {
            try {
                val result = call()
                done(result)
            } catch (e: SpurException) {
                say(e.words())
            } finally {
                app.busy -= 1
            }
        }
    }
}
