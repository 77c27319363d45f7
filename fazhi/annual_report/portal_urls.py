app_name = "annual_report_portal"
urlpatterns: list = []
