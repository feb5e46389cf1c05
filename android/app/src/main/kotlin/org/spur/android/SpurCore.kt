// Holds the process's one core object, made from the manifest's service settings and the
// Keystore key; tests install their own before the activity starts.
package org.spur.android

import android.content.Context
import java.util.Locale
import org.spur.core.Spur

object SpurCore {
    @Volatile private var instance: Spur? = null

    fun get(context: Context): Spur = instance ?: synchronized(this) {
        instance ?: Spur(
            ServiceSettings.fromManifest(context.applicationContext, Language.current(context)),
            KeystoreKeys(context.applicationContext),
        ).also { instance = it }
    }

    /** For tests and previews: use this core instead of making one from the manifest. */
    fun install(core: Spur?) {
        instance = core
    }
}

/** The language the user chose in the settings, or the device's. */
object Language {
    private const val PREFS = "spur-settings"

    fun current(context: Context): String =
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).getString("language", null)
            ?: Locale.getDefault().language

    fun choose(context: Context, tag: String) {
        context.getSharedPreferences(PREFS, Context.MODE_PRIVATE).edit().putString("language", tag).commit()
    }
}
