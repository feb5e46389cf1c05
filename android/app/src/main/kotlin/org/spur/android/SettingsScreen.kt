// Settings: app PIN, history on or off, language, and deleting all data (after a confirmation).
package org.spur.android

import android.widget.LinearLayout

class SettingsScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.settingsTitle
    override val name = "settings"
    private var confirmingDelete = false

    override fun fill(column: LinearLayout) {
        val pin = Ui.field(column, words.appPin, "settings.pin", Ui.PIN)
        column.addView(Ui.button(app, words.setPin, "settings.setPin") {
            launch({ core.setAppPin(pin.text.toString()) }) { say(words.pinSaved) }
        })
        column.addView(Ui.button(app, words.removePin, "settings.removePin") {
            launch({ core.setAppPin(null) }) { say(words.pinSaved) }
        })
        val history = Ui.checkBox(app, words.keepHistory, "settings.history", attempt { core.historyEnabled() } ?: true)
        history.setOnCheckedChangeListener { _, on -> attempt { core.setHistoryEnabled(on) } }
        column.addView(history)
        val languages = listOf("en" to words.languageEnglish, "de" to words.languageGerman)
        column.addView(Ui.heading(app, words.language, 20f))
        languages.forEach { (tag, name) ->
            column.addView(Ui.button(app, name, "settings.language.$tag") { app.changeLanguage(tag) })
        }
        column.addView(Ui.heading(app, words.deleteAll, 20f))
        if (!confirmingDelete) {
            column.addView(Ui.button(app, words.deleteAll, "settings.delete") { confirmingDelete = true; app.render() })
        } else {
            column.addView(Ui.text(app, words.deleteQuestion, "settings.deleteQuestion"))
            column.addView(Ui.button(app, words.deleteConfirm, "settings.deleteConfirm") {
                launch({ core.deleteAllData() }) { result ->
                    app.start()
                    app.current?.say(result.message)
                }
            })
        }
    }
}
