"""
The school's reference data: its departments, subjects and staff groups, and
how its classes are named. The seeds of several apps read them.
"""

#: (name, parent): a tree two levels deep.
DEPARTMENTS = [
    ("Mathematics", None),
    ("Sciences", None),
    ("Biology", "Sciences"),
    ("Chemistry", "Sciences"),
    ("Physics", "Sciences"),
    ("Humanities", None),
    ("History", "Humanities"),
    ("Geography", "Humanities"),
    ("Languages", None),
    ("English", "Languages"),
    ("Modern Languages", "Languages"),
    ("Arts", None),
    ("Music", "Arts"),
    ("Visual Arts", "Arts"),
    ("Physical Education", None),
    ("Computing", None),
]
#: How many teachers each department needs, relative to the others.
DEPARTMENT_WEIGHTS = {"Mathematics": 5, "English": 5, "Modern Languages": 2}

#: (code, name, department, first grade, last grade)
SUBJECTS = [
    ("MATH", "Mathematics", "Mathematics", 1, 12),
    ("ENG", "English", "English", 1, 12),
    ("SCI", "General Science", "Sciences", 1, 6),
    ("BIO", "Biology", "Biology", 7, 12),
    ("CHEM", "Chemistry", "Chemistry", 7, 12),
    ("PHYS", "Physics", "Physics", 7, 12),
    ("SOC", "Social Studies", "Humanities", 1, 6),
    ("HIST", "History", "History", 7, 12),
    ("GEO", "Geography", "Geography", 7, 12),
    ("FRE", "French", "Modern Languages", 4, 12),
    ("SPA", "Spanish", "Modern Languages", 7, 12),
    ("MUS", "Music", "Music", 1, 12),
    ("ART", "Visual Arts", "Visual Arts", 1, 12),
    ("PE", "Physical Education", "Physical Education", 1, 12),
    ("CS", "Computer Science", "Computing", 5, 12),
]


def grades_of(code):
    """The grades in which the subject with this code is taught."""
    for subject_code, _, _, first, last in SUBJECTS:
        if subject_code == code:
            return range(first, last + 1)
    return range(1, 13)


#: Django groups that give staff and teachers their admin permissions.
GROUPS = {
    "Teachers": """
        school.view_student school.view_schoolclass school.add_attendance
        school.change_attendance school.view_attendance exams.add_exam
        exams.view_exam exams.add_examresult exams.change_examresult
        exams.view_examresult behavior.add_behaviorincident
        behavior.view_behaviorincident behavior.add_studentbehavior
        curriculum.view_syllabus curriculum.view_lesson resources.add_booking
        resources.view_booking
    """.split(),
    "Office staff": """
        school.add_student school.change_student school.view_student
        school.add_guardian school.change_guardian school.view_guardian
        school.add_guardianlink school.view_guardianlink school.add_enrollment
        school.view_enrollment school.view_schoolclass resources.add_booking
        resources.change_booking resources.delete_booking resources.view_booking
    """.split(),
    "Finance office": """
        school.view_student finance.add_invoice finance.change_invoice
        finance.view_invoice finance.add_invoiceline finance.view_invoiceline
        finance.add_payment finance.view_payment
    """.split(),
}


def class_letters(n):
    """A, B, ... Z, AA, AB, ...: the part of a class name after the grade."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
