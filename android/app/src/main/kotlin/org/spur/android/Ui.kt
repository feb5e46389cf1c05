// Builds the plain framework views every screen uses, with the accessibility rules in one place:
// text sizes in sp (they follow the user's font size), high contrast (at least 7:1), touch
// targets of at least 48 dp, headings marked for screen readers, labels tied to their fields,
// and one polite live region per screen for results and errors.
package org.spur.android

import android.content.Context
import android.graphics.Color
import android.graphics.Typeface
import android.text.InputType
import android.util.TypedValue
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.CheckBox
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView

object Ui {
    /** Near-black on white: 19:1. */
    const val TEXT = 0xFF111111.toInt()
    const val BACKGROUND = Color.WHITE
    /** White on this blue: 10:1. */
    const val ACTION = 0xFF0B3D91.toInt()
    /** Dark red on white for errors: 8:1. */
    const val ALERT = 0xFF8B0000.toInt()

    private fun dp(context: Context, value: Int): Int =
        TypedValue.applyDimension(TypedValue.COMPLEX_UNIT_DIP, value.toFloat(), context.resources.displayMetrics).toInt()

    /** The scrolling column a screen puts its views in, top to bottom = screen-reader order. */
    fun page(context: Context): Pair<ScrollView, LinearLayout> {
        val column = LinearLayout(context).apply {
            orientation = LinearLayout.VERTICAL
            setPadding(dp(context, 20), dp(context, 20), dp(context, 20), dp(context, 20))
            setBackgroundColor(BACKGROUND)
        }
        val scroll = ScrollView(context).apply {
            setBackgroundColor(BACKGROUND)
            isFillViewport = true
            addView(column, ViewGroup.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.WRAP_CONTENT))
        }
        return scroll to column
    }

    fun heading(context: Context, text: String, size: Float = 26f): TextView = TextView(context).apply {
        this.text = text
        setTextColor(TEXT)
        setTextSize(TypedValue.COMPLEX_UNIT_SP, size)
        typeface = Typeface.DEFAULT_BOLD
        isAccessibilityHeading = true
        setPadding(0, dp(context, 8), 0, dp(context, 8))
    }

    fun text(context: Context, text: String, tag: String? = null): TextView = TextView(context).apply {
        this.text = text
        this.tag = tag
        setTextColor(TEXT)
        setTextSize(TypedValue.COMPLEX_UNIT_SP, 18f)
        setLineSpacing(0f, 1.2f)
        setPadding(0, dp(context, 4), 0, dp(context, 4))
    }

    /** The place where a screen says what happened; screen readers announce changes. */
    fun status(context: Context): TextView = text(context, "", "status").apply {
        accessibilityLiveRegion = View.ACCESSIBILITY_LIVE_REGION_POLITE
        setTextColor(ALERT)
        typeface = Typeface.DEFAULT_BOLD
        visibility = View.GONE
    }

    fun button(context: Context, caption: String, tag: String, onClick: () -> Unit): Button = Button(context).apply {
        text = caption
        this.tag = tag
        isAllCaps = false
        setTextSize(TypedValue.COMPLEX_UNIT_SP, 18f)
        setTextColor(Color.WHITE)
        setBackgroundColor(ACTION)
        minHeight = dp(context, 48)
        minimumHeight = dp(context, 48)
        setOnClickListener { onClick() }
        layoutParams = LinearLayout.LayoutParams(ViewGroup.LayoutParams.MATCH_PARENT, ViewGroup.LayoutParams.WRAP_CONTENT).apply {
            topMargin = dp(context, 12)
        }
    }

    /** A labelled text field: the label is read out for the field. Returns the field. */
    fun field(column: LinearLayout, label: String, tag: String, kind: Int = InputType.TYPE_CLASS_TEXT, value: String = ""): EditText {
        val context = column.context
        val field = EditText(context).apply {
            id = View.generateViewId()
            this.tag = tag
            inputType = kind
            setText(value)
            setTextColor(TEXT)
            setTextSize(TypedValue.COMPLEX_UNIT_SP, 18f)
            minHeight = dp(context, 48)
            hint = label
        }
        val caption = text(context, label).apply { labelFor = field.id; setPadding(0, dp(context, 12), 0, 0) }
        column.addView(caption)
        column.addView(field)
        return field
    }

    fun checkBox(context: Context, caption: String, tag: String, checked: Boolean): CheckBox = CheckBox(context).apply {
        text = caption
        this.tag = tag
        isChecked = checked
        setTextColor(TEXT)
        setTextSize(TypedValue.COMPLEX_UNIT_SP, 18f)
        minHeight = dp(context, 48)
    }

    const val PHONE = InputType.TYPE_CLASS_PHONE
    const val SECRET = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_VARIATION_PASSWORD
    const val PIN = InputType.TYPE_CLASS_NUMBER or InputType.TYPE_NUMBER_VARIATION_PASSWORD
    const val NUMBER = InputType.TYPE_CLASS_NUMBER
    const val CAPITALS = InputType.TYPE_CLASS_TEXT or InputType.TYPE_TEXT_FLAG_CAP_CHARACTERS
}
