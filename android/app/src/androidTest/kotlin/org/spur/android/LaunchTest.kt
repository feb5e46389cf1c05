// On an emulator (unbuilt here): the installed app starts on the registration screen and shows
// the privacy explanation. Uses the framework's own android.test runner (no AndroidX).
package org.spur.android

import android.test.ActivityInstrumentationTestCase2
import android.view.View

@Suppress("DEPRECATION")
class LaunchTest : ActivityInstrumentationTestCase2<MainActivity>(MainActivity::class.java) {
    fun testFirstStartShowsRegistrationWithPrivacyText() {
        val root = activity.window.decorView
        instrumentation.waitForIdleSync()
        assertNotNull(root.findViewWithTag<View>("screen.registration"))
        assertNotNull(root.findViewWithTag<View>("registration.privacy"))
    }
}
