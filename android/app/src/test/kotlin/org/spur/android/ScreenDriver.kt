// Drives the real activity in Robolectric like a user: finds views by tag, types, taps, waits
// for the core's calls to finish, and saves the screen as a PNG for the README.
package org.spur.android

import android.content.Intent
import android.graphics.Bitmap
import android.graphics.Canvas
import android.graphics.Color
import android.net.Uri
import android.os.Looper
import android.view.View
import android.view.ViewGroup
import android.widget.EditText
import android.widget.TextView
import java.io.File
import java.nio.file.Files
import java.time.Duration
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.robolectric.Robolectric
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ActivityController
import org.spur.core.KeyProvider
import org.spur.core.Spur
import org.spur.core.SpurConfig

class ScreenDriver(link: String? = null, private val locale: String = "en") {
    private val service = TestService.get()
    val dataDir: File = Files.createTempDirectory("spur-app").toFile()
    private val key = FixedKey()
    var core = open(null)
        private set
    private var controller: ActivityController<MainActivity>
    var activity: MainActivity
        private set

    init {
        SpurCore.install(core)
        Language.choose(application(), locale)
        val intent = Intent(application(), MainActivity::class.java)
        if (link != null) intent.action = Intent.ACTION_VIEW
        if (link != null) intent.data = Uri.parse(link)
        controller = Robolectric.buildActivity(MainActivity::class.java, intent).setup()
        activity = controller.get()
        settle()
    }

    /** The core on this phone's data, with the test service's POST server or `postUrl` instead. */
    private fun open(postUrl: String?) = Spur(
        SpurConfig(dataDir.path, TestService.HOST, service.tagUrl, postUrl ?: service.postUrl, service.opPublicKey, service.rootKey, locale),
        key,
    )

    /**
     * The app is closed and started again on the same data and key. With `postUrl` the POST
     * server is that address (a port nobody listens on: the POST server cannot be reached, as when
     * offline, while the TAG server still answers); without, the test service's POST server again.
     */
    fun restart(postUrl: String? = null) {
        settle()
        controller.pause().stop().destroy()
        core.close()
        core = open(postUrl)
        SpurCore.install(core)
        controller = Robolectric.buildActivity(MainActivity::class.java, Intent(application(), MainActivity::class.java)).setup()
        activity = controller.get()
        settle()
    }

    private fun application() = org.robolectric.RuntimeEnvironment.getApplication()

    /** Delivers a link as the system does when a spur URL is opened while the app runs. */
    fun openLink(url: String) {
        controller.newIntent(Intent(Intent.ACTION_VIEW, Uri.parse(url)))
        settle()
    }

    /** Taps "pick a picture" and answers the picker with this file, as the system's picker does. */
    fun pickPicture(file: File) {
        tap("scan.picture")
        val request = shadowOf(activity).nextStartedActivityForResult ?: error("no picker was asked for")
        assertEquals(Intent.ACTION_GET_CONTENT, request.intent.action)
        shadowOf(activity).receiveResult(request.intent, android.app.Activity.RESULT_OK, Intent().setData(Uri.fromFile(file)))
        settle()
    }

    val screen: String get() = activity.current?.name ?: "none"

    fun <T : View> view(tag: String): T {
        settle()
        @Suppress("UNCHECKED_CAST")
        return activity.window.decorView.findViewWithTag<View>(tag) as T? ?: error("no view '$tag' on screen '$screen'")
    }

    fun has(tag: String): Boolean = activity.window.decorView.findViewWithTag<View>(tag) != null

    fun text(tag: String): String = view<TextView>(tag).text.toString()

    fun type(tag: String, value: String) {
        view<EditText>(tag).setText(value)
    }

    fun tap(tag: String) {
        val target = view<View>(tag)
        assertTrue("'$tag' cannot be tapped", target.isEnabled && target.isClickable && target.isShown)
        // performClick is true only when a click listener ran; radio buttons and check boxes toggle without one.
        target.performClick()
        settle()
    }

    /** The user leaves the app and comes back to it. */
    fun leaveAndReturn() {
        controller.pause().stop()
        settle()
        controller.restart().resume()
        settle()
    }

    fun back() {
        activity.back()
        settle()
    }

    /** Runs the main looper until no core call is running (the calls run on tokio threads). */
    fun settle(timeout: Duration = Duration.ofSeconds(60)) {
        val deadline = System.nanoTime() + timeout.toNanos()
        val looper = shadowOf(Looper.getMainLooper())
        do {
            looper.idleFor(Duration.ofMillis(10))
            if (activity.busy == 0) {
                looper.idle()
                return
            }
            Thread.sleep(10)
        } while (System.nanoTime() < deadline)
        error("the core did not answer within $timeout on screen '$screen'")
    }

    /** Saves the whole current screen (all of its scrolling page) as docs/images/android-NAME.png. */
    fun screenshot(name: String) {
        settle()
        val page = (activity.window.decorView.findViewWithTag<View>("screen.$screen") as ViewGroup).getChildAt(0)
        val width = activity.window.decorView.width.takeIf { it > 0 } ?: 720
        page.measure(View.MeasureSpec.makeMeasureSpec(width, View.MeasureSpec.EXACTLY), View.MeasureSpec.makeMeasureSpec(0, View.MeasureSpec.UNSPECIFIED))
        page.layout(0, 0, page.measuredWidth, page.measuredHeight)
        // Finish the check-mark animations of radio buttons and check boxes before drawing.
        page.jumpDrawablesToCurrentState()
        AccessibilityRules.check(screen, page)
        val bitmap = Bitmap.createBitmap(page.measuredWidth, page.measuredHeight, Bitmap.Config.ARGB_8888)
        val canvas = Canvas(bitmap)
        canvas.drawColor(Color.WHITE)
        page.draw(canvas)
        val dir = File(System.getProperty("spur.screenshots.dir") ?: return)
        dir.mkdirs()
        File(dir, "android-$name.png").outputStream().use { bitmap.compress(Bitmap.CompressFormat.PNG, 100, it) }
    }

    fun close() {
        controller.pause().stop().destroy()
        SpurCore.install(null)
        dataDir.deleteRecursively()
    }

    /** The platform's key store: on a phone the Keystore wraps the key, which Robolectric lacks. */
    private class FixedKey : KeyProvider {
        private var key: ByteArray? = null
        override fun load(): ByteArray? = key
        override fun store(key: ByteArray) {
            this.key = key
        }
    }
}
