from django.urls import path, re_path

from insights import chart_views, report_views, views

urlpatterns = [
    path("", views.insights, name="insights"),
    re_path(r"^charts/(?P<key>[0-9a-f]{64})\.svg$", chart_views.chart, name="insights_chart"),
    path("report/", report_views.report, name="insights_report"),
    path("report.pdf", report_views.report_pdf, name="insights_report_pdf"),
    path("report.csv", report_views.report_figures, {"extension": "csv"}, name="insights_report_csv"),
    path("report.xlsx", report_views.report_figures, {"extension": "xlsx"}, name="insights_report_xlsx"),
]
