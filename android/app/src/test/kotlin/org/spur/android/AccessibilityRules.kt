// Checks the accessibility rules of Ui.kt on a screen as it is shown: every field has a label,
// pictures have descriptions, text is at least 18 sp and contrasts at least 4.5:1 with its
// background, touch targets are at least 48 dp, and the screen has a heading.
package org.spur.android

import android.graphics.Color
import android.util.TypedValue
import android.view.TextureView
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.CompoundButton
import android.widget.EditText
import android.widget.ImageView
import android.widget.TextView
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import kotlin.math.pow

object AccessibilityRules {
    fun check(screen: String, root: View) {
        val views = mutableListOf<View>().also { collect(root, it) }.filter { it.visibility == View.VISIBLE }
        val metrics = root.resources.displayMetrics
        val labelled = views.filterIsInstance<TextView>().map { it.labelFor }.filter { it != View.NO_ID }.toSet()
        assertTrue("$screen: no heading", views.any { it is TextView && it.isAccessibilityHeading })
        for (v in views) {
            val name = "$screen: '${v.tag ?: v.javaClass.simpleName}'"
            if (v is EditText) assertTrue("$name has no label", v.id in labelled)
            if (v is ImageView || v is TextureView) assertFalse("$name has no description", v.contentDescription.isNullOrEmpty())
            if (v is TextView && v.text.isNotEmpty()) {
                // Back from pixels to sp through the font-scale curve (non-linear since Android 14).
                val sp = TypedValue.deriveDimension(TypedValue.COMPLEX_UNIT_SP, v.textSize, metrics)
                assertTrue("$name text is $sp sp", sp >= 17.9f)
                // Buttons are on the action colour; radio buttons and check boxes (also Buttons) on the page.
                val background = if (v is Button && v !is CompoundButton) Ui.ACTION else Ui.BACKGROUND
                val ratio = contrast(v.currentTextColor, background)
                assertTrue("$name contrast is $ratio", ratio >= 4.5)
            }
            if (v is Button || v is CompoundButton) {
                val dp = v.height / metrics.density
                assertTrue("$name is $dp dp high", dp >= 47.9f)
            }
        }
    }

    private fun collect(v: View, into: MutableList<View>) {
        into += v
        if (v is ViewGroup) for (i in 0 until v.childCount) collect(v.getChildAt(i), into)
    }

    private fun luminance(color: Int): Double {
        fun channel(c: Int): Double = (c / 255.0).let { if (it <= 0.03928) it / 12.92 else ((it + 0.055) / 1.055).pow(2.4) }
        return 0.2126 * channel(Color.red(color)) + 0.7152 * channel(Color.green(color)) + 0.0722 * channel(Color.blue(color))
    }

    /** WCAG 2 contrast ratio. */
    fun contrast(a: Int, b: Int): Double {
        val (light, dark) = listOf(luminance(a), luminance(b)).sortedDescending()
        return (light + 0.05) / (dark + 0.05)
    }
}
