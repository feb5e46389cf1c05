// A labelled single-choice list (radio buttons) for options the core names.
package org.spur.android

import android.util.TypedValue
import android.view.View
import android.widget.LinearLayout
import android.widget.RadioButton
import android.widget.RadioGroup

class Choices(column: LinearLayout, label: String, tag: String, labels: List<String>) {
    private val group = RadioGroup(column.context).apply { this.tag = tag; contentDescription = label }

    init {
        column.addView(Ui.text(column.context, label))
        labels.forEachIndexed { index, text ->
            group.addView(RadioButton(column.context).apply {
                id = View.generateViewId()
                this.text = text
                this.tag = "$tag.$index"
                setTextColor(Ui.TEXT)
                setTextSize(TypedValue.COMPLEX_UNIT_SP, 18f)
                minHeight = (48 * resources.displayMetrics.density).toInt()
            })
        }
        column.addView(group)
    }

    /** The index of the chosen option, or null. */
    val chosen: Int? get() = (0 until group.childCount).firstOrNull { (group.getChildAt(it) as RadioButton).isChecked }
}
