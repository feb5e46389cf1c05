// The one activity: shows one screen at a time with a back stack, opens spur links (deep links
// and scanned codes) on the screen the core says they belong to, and locks when left.
package org.spur.android

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import kotlinx.coroutines.MainScope
import kotlinx.coroutines.cancel
import org.spur.core.Captions
import org.spur.core.Scanned
import org.spur.core.Spur
import org.spur.core.SpurException

class MainActivity : Activity() {
    lateinit var core: Spur
        private set
    /** Every caption of the screens, from the core in the chosen language. */
    lateinit var labels: Captions
        private set
    val scope = MainScope()
    /** Core calls still running (tests wait until it is zero). */
    @Volatile var busy = 0

    private val backStack = ArrayDeque<Screen>()
    /** A link that arrived before registration or while locked; opened afterwards. */
    private var waitingLink: String? = null

    val current: Screen? get() = backStack.lastOrNull()

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        core = SpurCore.get(this)
        core.setLocale(Language.current(this))
        // Times in the core's sentences ("ends at 14:00") are in this device's time.
        core.setUtcOffsetMinutes(java.util.TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 60_000)
        labels = core.captions()
        waitingLink = linkOf(intent)
        start()
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        setIntent(intent)
        waitingLink = linkOf(intent)
        start()
    }

    override fun onStop() {
        super.onStop()
        try { core.lock() } catch (_: SpurException) { }
    }

    override fun onRestart() {
        super.onRestart()
        if (core.isLocked()) replaceAll(LockScreen(this))
    }

    override fun onDestroy() {
        scope.cancel()
        super.onDestroy()
    }

    @Deprecated("the framework's back handling, kept without AndroidX")
    override fun onBackPressed() {
        if (backStack.size > 1) {
            backStack.removeAt(backStack.lastIndex)
            render()
        } else {
            @Suppress("DEPRECATION")
            super.onBackPressed()
        }
    }

    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        super.onActivityResult(requestCode, resultCode, data)
        (current as? ScanScreen)?.onPicture(requestCode, resultCode, data)
    }

    override fun onRequestPermissionsResult(requestCode: Int, permissions: Array<out String>, grantResults: IntArray) {
        (current as? ScanScreen)?.onPermission(requestCode, grantResults)
    }

    /** Where the app begins: lock, registration, a waiting link, or home. */
    fun start() {
        val registered = try { core.isRegistered() } catch (_: SpurException) { false }
        when {
            core.isLocked() -> replaceAll(LockScreen(this))
            !registered -> replaceAll(RegistrationScreen(this))
            else -> {
                replaceAll(HomeScreen(this))
                waitingLink?.let { waitingLink = null; openCode(it) }
            }
        }
    }

    /** Opens a scanned or linked spur code on the screen the core says it belongs to. */
    fun openCode(text: String) {
        val code = try {
            core.scan(text)
        } catch (e: SpurException) {
            current?.say(e.words())
            return
        }
        when (code) {
            is Scanned.Place, is Scanned.Personal -> show(StayScreen(this, text, code))
            is Scanned.Consent -> show(ConsentScreen(this, text))
        }
    }

    fun show(screen: Screen) {
        backStack.add(screen)
        render()
    }

    fun replaceAll(screen: Screen) {
        backStack.clear()
        show(screen)
    }

    fun back() = onBackPressed()

    /** Builds the current screen again (after a language change or new data). */
    fun render() {
        val screen = current ?: return
        title = screen.title
        setContentView(screen.build())
    }

    fun changeLanguage(tag: String) {
        Language.choose(this, tag)
        core.setLocale(tag)
        labels = core.captions()
        render()
    }

    private fun linkOf(intent: Intent?): String? =
        intent?.takeIf { it.action == Intent.ACTION_VIEW }?.dataString
}
